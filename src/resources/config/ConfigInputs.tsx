import { TextInput, maxLength } from 'react-admin';
import { ConfigValueInput } from './ConfigValueInput';

export function ConfigInputs() {
  return (
    <>
      <ConfigValueInput />
      <TextInput source="description" multiline minRows={2} validate={maxLength(1000)} />
    </>
  );
}
