package org.ccm.delivery.sms;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.delivery.DeliveryProperties;
import org.ccm.delivery.ProviderFailover;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.DeliveryFailure;
import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.PermanentDeliveryFailure;
import org.ccm.delivery.spi.ProviderAnswers;
import org.ccm.delivery.spi.SentDocument;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Sends SMS through the Twilio SDK. The REST base URL is configuration, so the local run
 * and the tests talk to a stand-in with the real SDK. Twilio's answers are classified by
 * {@link ProviderAnswers}: an invalid number is permanent for the customer, a refused
 * account is a platform fault, rate limits, 5xx answers and network errors are retried.
 * With a second route configured ({@code ccm.delivery.sms.secondary.*}), messages move to
 * it while the first one fails and back when it recovers ({@link ProviderFailover}).
 */
@Component
class SmsSender implements ChannelSender {

	static final String PRIMARY = "twilio";

	static final String SECONDARY = "twilio-secondary";

	private final DeliveryProperties.Twilio properties;

	private final DeliveryProperties.Twilio secondary;

	private final ObjectProvider<MessageTracking> tracking;

	private final Map<String, TwilioRestClient> clients = new ConcurrentHashMap<>();

	private final ProviderFailover failover;

	SmsSender(DeliveryProperties properties, ObjectProvider<MessageTracking> tracking,
			ObjectProvider<MeterRegistry> meters) {
		this.properties = properties.sms().twilio();
		this.secondary = properties.sms().secondary();
		this.tracking = tracking;
		this.failover = new ProviderFailover("sms",
				this.secondary.configured() ? List.of(PRIMARY, SECONDARY) : List.of(PRIMARY),
				properties.sms().failover(), meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Override
	public Channel channel() {
		return Channel.SMS;
	}

	@Override
	public String provider() {
		return "twilio";
	}

	@Override
	public SentDocument send(OutgoingMessage message) {
		ContactPoint phone = message.customer().phone();
		if (phone == null) {
			throw new PermanentDeliveryFailure("the customer has no phone number");
		}
		String text = message.document().text();
		if (text == null || text.isBlank()) {
			throw new IllegalStateException("the template composed no SMS text");
		}
		MessageTracking tracking = this.tracking.getIfAvailable();
		if (tracking != null) {
			text = tracking.instrumentText(text, message.delivery());
		}
		ProviderFailover.Route route = this.failover.choose();
		DeliveryProperties.Twilio account = route.name().equals(SECONDARY) ? this.secondary : this.properties;
		String messagingService = account.messagingServiceSid();
		MessageCreator creator = (messagingService != null && !messagingService.isBlank())
				? Message.creator(new PhoneNumber(phone.value()), messagingService, text)
				: Message.creator(new PhoneNumber(phone.value()), new PhoneNumber(account.from()), text);
		if (account.statusCallback() != null) {
			// the receipt names the delivery it is about
			creator.setStatusCallback(UriComponentsBuilder.fromUriString(account.statusCallback())
				.queryParam("delivery", message.delivery().deliveryId())
				.build()
				.toUri());
		}
		try {
			Message sent = create(creator, route, account);
			return new SentDocument("text/plain;charset=UTF-8", message.delivery().deliveryId() + ".txt",
					text.getBytes(StandardCharsets.UTF_8), sent.getSid(), route.name());
		}
		catch (RuntimeException ex) {
			route.failed(ex);
			throw ex;
		}
	}

	private Message create(MessageCreator creator, ProviderFailover.Route route, DeliveryProperties.Twilio account) {
		try {
			Message sent = creator.create(client(route.name(), account));
			route.succeeded();
			return sent;
		}
		catch (ApiException ex) {
			Integer status = (ex.getStatusCode() != null) ? ex.getStatusCode() : ex.getHttpStatusCode();
			ProviderAnswers.Answer answer = ProviderAnswers.twilio(status, ex.getCode());
			throw DeliveryFailure.of(answer,
					answer.meaning() + " (Twilio " + status + ", code " + ex.getCode() + "): " + ex.getMessage(), ex);
		}
		catch (ApiConnectionException ex) {
			throw DeliveryFailure.of(ProviderAnswers.TWILIO_CONNECTION,
					ProviderAnswers.TWILIO_CONNECTION.meaning() + ": " + ex.getMessage(), ex);
		}
	}

	private TwilioRestClient client(String route, DeliveryProperties.Twilio account) {
		if (!account.configured()) {
			throw new IllegalStateException(
					"Twilio is not configured (ccm.delivery.sms.twilio.account-sid, auth-token, from)");
		}
		return this.clients.computeIfAbsent(route,
				(name) -> new TwilioRestClient.Builder(account.accountSid(), account.authToken())
					.httpClient(
							new RebasingHttpClient(account.baseUrl(), account.connectTimeout(), account.readTimeout()))
					.build());
	}

}
