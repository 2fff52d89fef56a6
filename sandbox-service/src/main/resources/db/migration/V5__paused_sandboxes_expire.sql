-- Paused sandboxes expire too: the reaper's index covers them.
DROP INDEX sandbox_view_live_expiry;
CREATE INDEX sandbox_view_live_expiry ON sandbox_view (expires_at) WHERE status IN ('starting', 'running', 'paused');
