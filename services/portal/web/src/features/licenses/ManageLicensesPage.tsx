export function ManageLicensesPage({ customerId }: { customerId: string }) {
  return <p>Manage licenses for {customerId}</p>;
}
