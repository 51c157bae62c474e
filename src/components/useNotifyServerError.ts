import { useCallback } from 'react';
import { useNotify } from 'react-admin';
import { errorMessage, isConflict } from '@/providers/serverError';

// The server's own sentence, shown as is (messageArgs._ keeps i18n from treating it as a
// key). A conflict stays on screen until dismissed: it asks the reader to do something.
export function useNotifyServerError() {
  const notify = useNotify();
  return useCallback(
    (error: unknown) => {
      const message = errorMessage(error);
      notify(message, {
        type: 'error',
        messageArgs: { _: message },
        autoHideDuration: isConflict(error) ? null : undefined,
      });
      return message;
    },
    [notify],
  );
}
