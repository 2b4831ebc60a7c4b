package org.ccm.templates;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ccm.core.Customers;
import org.ccm.templates.GovernanceException.Reason;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proof sets of each template. A set's data must fit the schema of the template's
 * latest version when it is saved, and its customer must exist.
 */
@Service
public class ProofSets {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final TemplateAuthoring authoring;

	private final DataSchemas schemas;

	private final Customers customers;

	ProofSets(JdbcClient jdbc, JsonMapper json, TemplateAuthoring authoring, DataSchemas schemas, Customers customers) {
		this.jdbc = jdbc;
		this.json = json;
		this.authoring = authoring;
		this.schemas = schemas;
		this.customers = customers;
	}

	@Transactional(readOnly = true)
	public List<ProofSet> of(String templateKey) {
		return this.jdbc
			.sql("SELECT template_key, name, customer, data::text, created_by, created_at FROM template_proof_set "
					+ "WHERE template_key = ? ORDER BY name")
			.param(templateKey)
			.query((rs, n) -> new ProofSet(rs.getString(1), rs.getString(2), rs.getString(3),
					(rs.getString(4) != null) ? this.json.readValue(rs.getString(4), MAP) : null, rs.getString(5),
					rs.getObject(6, OffsetDateTime.class).toInstant()))
			.list();
	}

	@Transactional(readOnly = true)
	public Optional<ProofSet> find(String templateKey, String name) {
		return of(templateKey).stream().filter((set) -> set.name().equals(name)).findFirst();
	}

	/**
	 * Adds a proof set.
	 * @throws InvalidTemplateContentException naming each field that is wrong: the name,
	 * an unknown customer, data that does not fit the schema (by JSON pointer)
	 */
	@Transactional
	public ProofSet add(String templateKey, String name, @Nullable String customer, @Nullable Map<String, Object> data,
			Actor actor) {
		List<TemplateVersion> versions = this.authoring.versions(templateKey);
		List<DataViolation> problems = new ArrayList<>();
		String trimmed = (name != null) ? name.strip() : "";
		if (trimmed.isEmpty() || trimmed.length() > 80) {
			problems.add(new DataViolation("name", "must be 1 to 80 characters"));
		}
		String customerId = (customer != null && !customer.isBlank()) ? customer.strip() : null;
		if (customerId != null && this.customers.findByExternalId(customerId).isEmpty()) {
			problems.add(new DataViolation("customer", "is not a customer's external id"));
		}
		Map<String, Object> plain = (data != null) ? DocumentModel.plainMap(data) : null;
		if (plain != null && !versions.isEmpty()) {
			for (DataViolation violation : this.schemas.violations(versions.get(versions.size() - 1).dataSchema(),
					plain)) {
				problems
					.add(new DataViolation("data" + violation.field().replaceFirst("^/$", ""), violation.message()));
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidTemplateContentException(problems);
		}
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		try {
			this.jdbc.sql("""
					INSERT INTO template_proof_set (template_key, name, customer, data, created_by, created_at)
					VALUES (?, ?, ?, ?::jsonb, ?, ?)""")
				.params(templateKey, trimmed, customerId, (plain != null) ? this.json.writeValueAsString(plain) : null,
						actor.name(), now.atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException ex) {
			throw new GovernanceException(Reason.CONFLICT, "a proof set named '" + trimmed + "' exists already");
		}
		return new ProofSet(templateKey, trimmed, customerId, plain, actor.name(), now);
	}

	@Transactional
	public boolean remove(String templateKey, String name) {
		return this.jdbc.sql("DELETE FROM template_proof_set WHERE template_key = ? AND name = ?")
			.params(templateKey, name)
			.update() == 1;
	}

}
