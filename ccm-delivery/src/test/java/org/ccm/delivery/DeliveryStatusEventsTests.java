package org.ccm.delivery;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A status change tells its listeners everything they need about the delivery, so none
 * has to ask this module back.
 */
class DeliveryStatusEventsTests extends DeliveryIntegrationTest {

	@Autowired
	ConfigurableApplicationContext context;

	@Test
	void everyStatusChangeNamesTheTemplateCustomerAndChannel() {
		List<DeliveryStatusChanged> published = new CopyOnWriteArrayList<>();
		ApplicationListener<ApplicationEvent> listener = (event) -> {
			if (event instanceof PayloadApplicationEvent<?> payload
					&& payload.getPayload() instanceof DeliveryStatusChanged changed) {
				published.add(changed);
			}
		};
		this.context.addApplicationListener(listener);
		try {
			CustomerProfile customer = reachableEverywhere(unique("EVENTS"), List.of(Channel.EMAIL));
			UUID id = this.communications
				.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
						Map.of("invoiceNumber", "EVT-1"), null), unique("key"), "client-a")
				.communicationId();
			settled(id);

			List<DeliveryStatusChanged> ofThisSend = published.stream()
				.filter((changed) -> changed.communicationId().equals(id))
				.toList();
			assertThat(ofThisSend).extracting(DeliveryStatusChanged::status)
				.containsSubsequence(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT);
			assertThat(ofThisSend).allSatisfy((changed) -> {
				assertThat(changed.template()).isEqualTo("invoice");
				assertThat(changed.customerId()).isEqualTo(customer.id());
				assertThat(changed.channel()).isEqualTo(Channel.EMAIL);
			});
		}
		finally {
			this.context.removeApplicationListener(listener);
		}
	}

}
