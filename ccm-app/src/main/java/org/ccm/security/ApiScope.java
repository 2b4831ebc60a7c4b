package org.ccm.security;

import java.util.List;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What an API key may do. A back-office system that only sends invoices gets
 * {@code COMMUNICATIONS_WRITE} and nothing else. The matrix of scopes per endpoint is in
 * {@code docs/security.md}.
 */
public enum ApiScope {

	CUSTOMERS_READ("customers:read"), CUSTOMERS_WRITE("customers:write"),
	/**
	 * Erasing a customer cannot be undone, so it is not part of {@code customers:write}.
	 */
	CUSTOMERS_ERASE("customers:erase"), COMMUNICATIONS_READ("communications:read"),
	COMMUNICATIONS_WRITE("communications:write"), TEMPLATES_READ("templates:read"), TEMPLATES_WRITE("templates:write"),
	/** Lets a key change locked brand and legal blocks, like the staff role BRAND. */
	TEMPLATES_BRAND("templates:brand"), OPERATIONS("operations"), CAMPAIGNS_READ("campaigns:read"),
	/** Create, launch, pause, resume, cancel and release campaigns. */
	CAMPAIGNS_WRITE("campaigns:write"),
	/** Manages API keys, like the staff role ADMIN. */
	ADMIN("admin");

	private final String value;

	ApiScope(String value) {
		this.value = value;
	}

	public String value() {
		return value;
	}

	List<GrantedAuthority> authorities() {
		GrantedAuthority scope = new SimpleGrantedAuthority(authorityName());
		// template governance asks for the role, whoever the caller is; a key that may
		// write templates approves them too (never its own work: four eyes)
		return switch (this) {
			case TEMPLATES_BRAND -> List.of(scope, new SimpleGrantedAuthority("ROLE_BRAND"));
			case TEMPLATES_WRITE -> List.of(scope, new SimpleGrantedAuthority("ROLE_APPROVER"));
			default -> List.of(scope);
		};
	}

	String authorityName() {
		return "SCOPE_" + value;
	}

	static ApiScope of(String value) {
		return find(value).orElseThrow(() -> new IllegalArgumentException("unknown API scope '" + value + "'"));
	}

	static Optional<ApiScope> find(String value) {
		for (ApiScope scope : values()) {
			if (scope.value.equals(value)) {
				return Optional.of(scope);
			}
		}
		return Optional.empty();
	}

}
