package org.ccm.security;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request authenticated by an API key. Before authentication it carries the presented
 * key; after it, the client's name and scopes and no key at all.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final @Nullable String presentedKey;

	private final String client;

	private ApiKeyAuthentication(@Nullable String presentedKey, String client,
			Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
		super(authorities);
		this.presentedKey = presentedKey;
		this.client = client;
		setAuthenticated(authenticated);
	}

	static ApiKeyAuthentication presented(String key) {
		return new ApiKeyAuthentication(key, "", List.of(), false);
	}

	static ApiKeyAuthentication of(ApiKeys.ApiClient client) {
		return new ApiKeyAuthentication(null, client.client(),
				client.scopes().stream().flatMap((scope) -> scope.authorities().stream()).toList(), true);
	}

	@Nullable String presentedKey() {
		return presentedKey;
	}

	@Override
	public @Nullable Object getCredentials() {
		return null;
	}

	@Override
	public Object getPrincipal() {
		return client;
	}

	@Override
	public String getName() {
		return client;
	}

	@Override
	public String toString() {
		// never print the key, whatever logs this
		return "ApiKeyAuthentication[client=" + client + ", authorities=" + getAuthorities() + "]";
	}

}
