-- Proof sets: named sample data and customers a template is previewed and compared with
-- (a long address, a Polish customer, a 40-line invoice), kept with the template.
CREATE TABLE template_proof_set
(
  template_key TEXT NOT NULL REFERENCES template (key),
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  customer     TEXT,
  data         JSONB,
  created_by   TEXT NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (template_key, name)
);
