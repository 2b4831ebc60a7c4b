package org.ccm.delivery.sms;

import java.nio.charset.StandardCharsets;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.delivery.DeliveryProperties;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.DeliveryFailure;
import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.PermanentDeliveryFailure;
import org.ccm.delivery.spi.ProviderAnswers;
import org.ccm.delivery.spi.SentDocument;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Sends SMS through the Twilio SDK. The REST base URL is configuration, so the local run
 * and the tests talk to a stand-in with the real SDK. Twilio's answers are classified by
 * {@link ProviderAnswers}: an invalid number is permanent for the customer, a refused
 * account is a platform fault, rate limits, 5xx answers and network errors are retried.
 */
@Component
class SmsSender implements ChannelSender {

	private final DeliveryProperties.Twilio properties;

	private final ObjectProvider<MessageTracking> tracking;

	private volatile @Nullable TwilioRestClient client;

	SmsSender(DeliveryProperties properties, ObjectProvider<MessageTracking> tracking) {
		this.properties = properties.sms().twilio();
		this.tracking = tracking;
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
		MessageCreator creator = Message.creator(new PhoneNumber(phone.value()),
				new PhoneNumber(this.properties.from()), text);
		if (this.properties.statusCallback() != null) {
			// the receipt names the delivery it is about
			creator.setStatusCallback(UriComponentsBuilder.fromUriString(this.properties.statusCallback())
				.queryParam("delivery", message.delivery().deliveryId())
				.build()
				.toUri());
		}
		try {
			Message sent = creator.create(client());
			return new SentDocument("text/plain;charset=UTF-8", message.delivery().deliveryId() + ".txt",
					text.getBytes(StandardCharsets.UTF_8), sent.getSid());
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

	private TwilioRestClient client() {
		TwilioRestClient current = this.client;
		if (current == null) {
			if (!this.properties.configured()) {
				throw new IllegalStateException(
						"Twilio is not configured (ccm.delivery.sms.twilio.account-sid, auth-token, from)");
			}
			current = new TwilioRestClient.Builder(this.properties.accountSid(), this.properties.authToken())
				.httpClient(new RebasingHttpClient(this.properties.baseUrl(), this.properties.connectTimeout(),
						this.properties.readTimeout()))
				.build();
			this.client = current;
		}
		return current;
	}

}
