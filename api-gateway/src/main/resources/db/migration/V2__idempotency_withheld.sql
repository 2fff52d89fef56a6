-- Why an answer's body was not kept: STREAM (server-sent events) or SECRET (a new key or admin token,
-- shown once and stored nowhere). Replaces the streamed flag.
ALTER TABLE idempotency_record ADD COLUMN withheld VARCHAR(8) CHECK (withheld IN ('STREAM', 'SECRET'));
UPDATE idempotency_record SET withheld = 'STREAM' WHERE streamed;
ALTER TABLE idempotency_record DROP COLUMN streamed;
