package org.ccm.delivery.sms;

import java.net.URL;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * Twilio's HTTP client with a configurable base URL: the SDK only lets region and edge
 * change the {@code *.twilio.com} host, so each request is rebuilt on the base URL
 * keeping method, path, query, form parameters, headers and authentication.
 */
class RebasingHttpClient extends NetworkHttpClient {

	private final String baseUrl;

	RebasingHttpClient(String baseUrl) {
		this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
	}

	@Override
	public Response makeRequest(Request request) {
		return super.makeRequest(rebase(request));
	}

	Request rebase(Request original) {
		URL url = original.constructURL();
		Request rebased = new Request(original.getMethod(), this.baseUrl + url.getPath());
		original.getQueryParams()
			.forEach((name, values) -> values.forEach((value) -> rebased.addQueryParam(name, value)));
		original.getPostParams()
			.forEach((name, values) -> values.forEach((value) -> rebased.addPostParam(name, value)));
		original.getHeaderParams()
			.forEach((name, values) -> values.forEach((value) -> rebased.addHeaderParam(name, value)));
		if (original.getAuthStrategy() != null) {
			rebased.setAuth(original.getAuthStrategy());
		}
		else if (original.getUsername() != null) {
			rebased.setAuth(original.getUsername(), original.getPassword());
		}
		if (original.getContentType() != null) {
			rebased.setContentType(original.getContentType());
		}
		if (original.getBody() != null) {
			rebased.setBody(original.getBody());
		}
		if (original.getFormParameters() != null) {
			rebased.setFormParameters(original.getFormParameters());
		}
		rebased.setUserAgentExtensions(original.getUserAgentExtensions());
		return rebased;
	}

}
