package org.ccm.delivery;

import java.net.URI;

import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.TrackedMessage;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * What the tracking module provides downstream, reduced to what the email channel needs
 * to see.
 */
@TestConfiguration(proxyBeanMethods = false)
class TrackingStandIn {

	static final String PIXEL = "<img src=\"https://track.example.com/t/o/";

	@Bean
	MessageTracking messageTracking() {
		return new MessageTracking() {

			@Override
			public String instrumentHtml(String html, TrackedMessage message) {
				return html.replace("</body>", PIXEL + message.deliveryId() + "\" alt=\"\"></body>");
			}

			@Override
			public URI unsubscribeUrl(TrackedMessage message) {
				return URI.create("https://track.example.com/t/u/" + message.deliveryId());
			}

		};
	}

}
