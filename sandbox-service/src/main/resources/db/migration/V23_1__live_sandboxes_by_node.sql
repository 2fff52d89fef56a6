-- The node loss detector's reads: the live (running or paused) sandboxes of a node, and which nodes hold any.
CREATE INDEX sandbox_view_live_node ON sandbox_view (node_id) WHERE status IN ('running', 'paused');
