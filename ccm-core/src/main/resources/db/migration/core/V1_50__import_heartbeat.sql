-- The instance holding an import (queued or running) refreshes its heartbeat; a job whose heartbeat
-- stopped belonged to an instance that died and is failed by the sweep, its staging table dropped.
ALTER TABLE import_job ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
