-- New users' search trigrams wait in the search index's pending list (GIN "fast update") until they
-- are merged into the index. At the default limit of 4 MB an insert of 10,000 users (about 8 MB of
-- pending entries) merged the list twice within its own request. With room for 32 MB the insert
-- only appends, and the API merges the list with gin_clean_pending_list right after the import is
-- committed, outside the request (TableMaintenance); a search reads whatever is pending in full, so
-- the list is kept short by that merge, not by the limit. A process of the previous release does
-- not merge: its inserts merge the list inline once it reaches the limit, as they did at 4 MB.
-- Setting the parameter takes a lock that lets reads and writes of the table go on.
ALTER INDEX users_search SET (gin_pending_list_limit = 32768);
