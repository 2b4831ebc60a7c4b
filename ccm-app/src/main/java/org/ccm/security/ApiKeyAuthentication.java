package org.ccm.security;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request authenticated by an API key. Before authentication it carries the presented
 * key; after it, the client's name and scopes and no key at all.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

	private final @Nullable String presentedKey;

	private final String clientAddress;

	private final String client;

	private final @Nullable UUID keyId;

	private ApiKeyAuthentication(@Nullable String presentedKey, String clientAddress, String client,
			@Nullable UUID keyId, Collection<? extends GrantedAuthority> authorities, boolean authenticated) {
		super(authorities);
		this.presentedKey = presentedKey;
		this.clientAddress = clientAddress;
		this.client = client;
		this.keyId = keyId;
		setAuthenticated(authenticated);
	}

	static ApiKeyAuthentication presented(String key, String clientAddress) {
		return new ApiKeyAuthentication(key, clientAddress, "", null, List.of(), false);
	}

	static ApiKeyAuthentication of(ApiKeys.ApiClient client, String clientAddress) {
		return new ApiKeyAuthentication(null, clientAddress, client.client(), client.id(),
				client.scopes().stream().flatMap((scope) -> scope.authorities().stream()).toList(), true);
	}

	@Nullable String presentedKey() {
		return presentedKey;
	}

	String clientAddress() {
		return clientAddress;
	}

	/**
	 * The id of the key, once authenticated; rate limits count per key.
	 */
	@Nullable UUID keyId() {
		return keyId;
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
