-- A paused sandbox keeps its admission (it counts against concurrency, it can resume) but uses no
-- compute units: the rate quota and computeUnitsInUse leave it out.
ALTER TABLE sandbox_allocation ADD COLUMN paused BOOLEAN NOT NULL DEFAULT false;
