import { Box, Typography } from '@mui/material';
import { ReferenceField, useRecordContext } from 'react-admin';
import { customerName } from '@/resources/customers/customerName';

function NameAndEmail() {
  const customer = useRecordContext();
  if (!customer) return null;
  const name = customerName(customer);
  return (
    <Box component="span" sx={{ display: 'inline-flex', flexDirection: 'column', minWidth: 0 }}>
      <Typography variant="body2" component="span">
        {name}
      </Typography>
      {customer.email && customer.email !== name && (
        <Typography
          variant="caption"
          component="span"
          color="text.secondary"
          sx={{ overflowWrap: 'anywhere' }}
        >
          {String(customer.email)}
        </Typography>
      )}
    </Box>
  );
}

/** The customer of a row, by name with the email under it, linked to their page. */
export function CustomerField({
  source = 'customer_id',
}: {
  source?: string;
  label?: string;
  sortable?: boolean;
}) {
  return (
    <ReferenceField source={source} reference="customers" link="show">
      <NameAndEmail />
    </ReferenceField>
  );
}
