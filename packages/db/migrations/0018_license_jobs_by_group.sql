-- A group's processing jobs, newest first (`GET …/license-jobs?groupId=`): the group page lists them
-- without reading the customer's direct jobs.
CREATE INDEX license_jobs_customer_group ON license_jobs (customer_id, source_group_id, seq DESC)
  WHERE source_group_id IS NOT NULL;
