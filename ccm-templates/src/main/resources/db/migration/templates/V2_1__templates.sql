-- Templates: a key, a purpose, the channels it supports, the developer-owned layout it
-- uses and the legal clauses every published version must contain.
CREATE TABLE template
(
  key              TEXT PRIMARY KEY CHECK (key ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  name             TEXT NOT NULL,
  purpose          TEXT NOT NULL CHECK (purpose IN ('TRANSACTIONAL', 'MARKETING')),
  channels         TEXT[] NOT NULL,
  layout           TEXT NOT NULL,
  required_clauses TEXT[] NOT NULL DEFAULT '{}',
  created_by       TEXT NOT NULL,
  created_at       TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- Versions are immutable once submitted for review; content holds the blocks, subject
-- and SMS text per locale.
CREATE TABLE template_version
(
  template_key TEXT NOT NULL REFERENCES template (key),
  version      INT NOT NULL CHECK (version > 0),
  state        TEXT NOT NULL CHECK (state IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'PUBLISHED', 'RETIRED')),
  author       TEXT NOT NULL,
  content      JSONB NOT NULL,
  data_schema  JSONB NOT NULL,
  sample_data  JSONB NOT NULL DEFAULT '{}',
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  PRIMARY KEY (template_key, version)
);
-- one published version per template at a time
CREATE UNIQUE INDEX template_version_one_published ON template_version (template_key) WHERE state = 'PUBLISHED';

-- the database refuses to change what was submitted, whatever the code does
CREATE FUNCTION template_version_immutable() RETURNS trigger AS
$$
BEGIN
  IF OLD.state <> 'DRAFT' AND (NEW.content IS DISTINCT FROM OLD.content
      OR NEW.data_schema IS DISTINCT FROM OLD.data_schema OR NEW.author IS DISTINCT FROM OLD.author) THEN
    RAISE EXCEPTION 'template version %/% is % and cannot change', OLD.template_key, OLD.version, OLD.state;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER template_version_immutable BEFORE UPDATE ON template_version
  FOR EACH ROW EXECUTE FUNCTION template_version_immutable();

-- every state change: who, when, why
CREATE TABLE template_transition
(
  id           BIGSERIAL PRIMARY KEY,
  template_key TEXT NOT NULL,
  version      INT NOT NULL,
  from_state   TEXT,
  to_state     TEXT NOT NULL,
  actor        TEXT NOT NULL,
  comment      TEXT,
  occurred_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
  FOREIGN KEY (template_key, version) REFERENCES template_version (template_key, version)
);
CREATE INDEX template_transition_by_version ON template_transition (template_key, version, occurred_at);

-- The invoice template, published as version 1.
INSERT INTO template (key, name, purpose, channels, layout, required_clauses, created_by)
VALUES ('invoice', 'Invoice', 'TRANSACTIONAL', '{EMAIL,SMS,PRINT,PORTAL}', 'invoice',
        '{payment-terms,company-details}', 'system');

INSERT INTO template_version (template_key, version, state, author, content, data_schema, sample_data)
VALUES ('invoice', 1, 'PUBLISHED', 'system', $json$
{
  "title": {"default": "Invoice {{invoiceNumber}}", "pl": "Faktura {{invoiceNumber}}", "de": "Rechnung {{invoiceNumber}}"},
  "subject": {"default": "Your invoice {{invoiceNumber}} for {{total}}", "pl": "Twoja faktura {{invoiceNumber}} na kwotę {{total}}", "de": "Ihre Rechnung {{invoiceNumber}} über {{total}}"},
  "sms": {"default": "Invoice {{invoiceNumber}}: {{total}} due {{dueDate}}. View and pay: {{links.portal}}", "pl": "Faktura {{invoiceNumber}}: {{total}}, termin {{dueDate}}. Zobacz i zapłać: {{links.portal}}"},
  "attachPdfToEmail": true,
  "blocks": [
    {"key": "intro", "kind": "EDITABLE", "slot": "intro", "content": {
      "default": "<p>Dear {{customer.name}},</p><p>your invoice <strong>{{invoiceNumber}}</strong> of {{issueDate}} is ready. The amount of <strong>{{total}}</strong> is due on {{dueDate}}.</p>",
      "pl": "<p>Szanowni Państwo, {{customer.name}},</p><p>faktura <strong>{{invoiceNumber}}</strong> z dnia {{issueDate}} jest gotowa. Kwota <strong>{{total}}</strong> jest płatna do {{dueDate}}.</p>",
      "de": "<p>Guten Tag {{customer.name}},</p><p>Ihre Rechnung <strong>{{invoiceNumber}}</strong> vom {{issueDate}} liegt vor. Der Betrag von <strong>{{total}}</strong> ist am {{dueDate}} fällig.</p>"}},
    {"key": "closing", "kind": "EDITABLE", "slot": "closing", "content": {
      "default": "<p>Thank you for being our customer.</p>",
      "pl": "<p>Dziękujemy, że jesteś z nami.</p>",
      "de": "<p>Vielen Dank, dass Sie Kunde bei uns sind.</p>"}},
    {"key": "payment-terms", "kind": "LEGAL", "slot": "legal", "content": {
      "default": "<p>Payment is due by the date shown. Interest on late payment may be charged at the statutory rate.</p>",
      "pl": "<p>Płatność należy uregulować w podanym terminie. Za opóźnienie mogą zostać naliczone odsetki ustawowe.</p>",
      "de": "<p>Zahlbar bis zum angegebenen Datum. Bei Zahlungsverzug können gesetzliche Verzugszinsen berechnet werden.</p>"}},
    {"key": "company-details", "kind": "BRAND", "slot": "footer", "content": {
      "default": "<p>Example Energy Ltd · 1 Example Street, London EC1A 1AA · Registered in England and Wales No. 01234567 · VAT GB123456789</p>"}}
  ]
}
$json$, $json$
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["invoiceNumber", "issueDate", "dueDate", "currency", "lines", "total"],
  "properties": {
    "invoiceNumber": {"type": "string", "minLength": 1, "maxLength": 64},
    "issueDate": {"type": "string", "format": "date"},
    "dueDate": {"type": "string", "format": "date"},
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "lines": {
      "type": "array", "minItems": 1, "maxItems": 500,
      "items": {
        "type": "object",
        "required": ["description", "quantity", "unitPrice"],
        "properties": {
          "description": {"type": "string", "minLength": 1, "maxLength": 500},
          "quantity": {"type": "number"},
          "unitPrice": {"type": "number", "x-ccm-format": "money"}
        }
      }
    },
    "total": {"type": "number", "x-ccm-format": "money"}
  }
}
$json$, $json$
{
  "invoiceNumber": "INV-2026-0001",
  "issueDate": "2026-11-01",
  "dueDate": "2026-11-30",
  "currency": "GBP",
  "lines": [
    {"description": "Electricity, October", "quantity": 1, "unitPrice": 84.20},
    {"description": "Standing charge", "quantity": 31, "unitPrice": 0.45}
  ],
  "total": 98.15
}
$json$);

INSERT INTO template_transition (template_key, version, from_state, to_state, actor, comment)
VALUES ('invoice', 1, NULL, 'PUBLISHED', 'system', 'initial invoice template');
