export function JobsPage({ customerId }: { customerId: string }) {
  return <p>Jobs of {customerId}</p>;
}
