-- Contract 1.2: a user's department (free text, at most 64 characters, or null). The user list
-- filters on it by exact match, and dynamic group rules select the users of some departments, so
-- it is indexed per customer.
ALTER TABLE users ADD COLUMN department text;
CREATE INDEX users_customer_department ON users (customer_id, department) WHERE department IS NOT NULL;
