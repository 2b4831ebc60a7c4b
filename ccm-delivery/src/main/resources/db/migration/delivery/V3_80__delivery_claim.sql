-- the claim under which a worker holds a SENDING delivery: a retry may take over exactly this claim
-- when the attempt that made it is known to have stopped before calling the provider
ALTER TABLE delivery ADD COLUMN claim UUID;
