-- Users filtered by product (contract 1.1: hasProduct, lacksProduct, userFilter). The filters are
-- (anti-)semi-joins of a customer's users with the customer's holders of one product; with the user
-- id in the (customer, product) index, those holders are read from the index alone instead of one
-- heap fetch per license. It replaces the index it extends: seat counts by (customer, product) use
-- its prefix as before, and a license insert still writes two index entries.
DROP INDEX user_licenses_customer_product;
CREATE INDEX user_licenses_customer_product ON user_licenses (customer_id, product_id, user_id);
