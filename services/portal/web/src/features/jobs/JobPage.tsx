export function JobPage({ customerId, jobId }: { customerId: string; jobId: string }) {
  return (
    <p>
      Job {jobId} of {customerId}
    </p>
  );
}
