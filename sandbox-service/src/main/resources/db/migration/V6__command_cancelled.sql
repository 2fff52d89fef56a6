-- A command stopped by a cancel (its process group killed on the node).
ALTER TABLE command_view ADD COLUMN cancelled BOOLEAN NOT NULL DEFAULT FALSE;
