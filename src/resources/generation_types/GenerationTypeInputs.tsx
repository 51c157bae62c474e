import { BooleanInput, maxLength, NumberInput, required, TextInput } from 'react-admin';
import { validateCost } from './validators';

/** `price`: false on the edit form, where a price changes only with a reason (ChangePriceButton). */
export function GenerationTypeInputs({ price = true }: { price?: boolean }) {
  return (
    <>
      <TextInput source="display_name" validate={[required(), maxLength(200)]} />
      {/* No native `min`: the browser would block the submit silently, before our message. */}
      {price && (
        <NumberInput
          source="cost_credits"
          label="Cost (credits)"
          step={1}
          validate={validateCost}
        />
      )}
      <BooleanInput source="active" helperText="Inactive types cannot be generated." />
    </>
  );
}
