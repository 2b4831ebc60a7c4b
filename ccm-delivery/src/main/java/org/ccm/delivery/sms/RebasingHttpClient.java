package org.ccm.delivery.sms;

import java.net.URL;
import java.time.Duration;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Twilio's HTTP client with a configurable base URL: the SDK only lets region and edge
 * change the {@code *.twilio.com} host, so each request is rebuilt on the base URL
 * keeping method, path, query, form parameters, headers and authentication.
 */
class RebasingHttpClient extends NetworkHttpClient {

	private final String baseUrl;

	/**
	 * @param connectTimeout how long to wait for the connection
	 * @param readTimeout how long to wait for the answer; without it a call that never
	 * answers holds the worker for good
	 */
	// the connect timeout on the request config still applies to the SDK's pool
	@SuppressWarnings("deprecation")
	RebasingHttpClient(String baseUrl, Duration connectTimeout, Duration readTimeout) {
		super(RequestConfig.custom()
			.setConnectTimeout(Timeout.of(connectTimeout))
			.setConnectionRequestTimeout(Timeout.of(connectTimeout))
			.setResponseTimeout(Timeout.of(readTimeout))
			.build(), SocketConfig.custom().setSoTimeout(Timeout.of(readTimeout)).build());
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
