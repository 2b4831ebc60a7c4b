-- A campaign pins the template version published at its launch; null composes whatever is
-- published when the document is composed.
ALTER TABLE communication ADD COLUMN template_version INT;
