package org.ccm;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.ccm.core.Channel;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.modulith.events.core.EventSerializer;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publications are written and read back with the application's mapper, which is looked
 * up once for all of them.
 */
class EventSerializationTests {

	@Test
	void eventsRoundTripThroughTheApplicationsMapperLookedUpOnce() {
		JsonMapper json = JsonMapper.builder().build();
		AtomicInteger lookups = new AtomicInteger();
		ObjectProvider<JsonMapper> mapper = new ObjectProvider<>() {

			@Override
			public JsonMapper getObject() {
				lookups.incrementAndGet();
				return json;
			}

		};
		EventSerializer serializer = new EventSerialization().eventSerializer(mapper);
		DeliveryStatusChanged changed = new DeliveryStatusChanged(UUID.randomUUID(), UUID.randomUUID(),
				UUID.randomUUID(), "newsletter", Channel.EMAIL, DeliveryStatus.SENT,
				Instant.parse("2026-12-04T01:00:00Z"), null);

		for (int i = 0; i < 3; i++) {
			Object stored = serializer.serialize(changed);
			assertThat(serializer.deserialize(stored, DeliveryStatusChanged.class)).isEqualTo(changed);
		}
		assertThat(lookups).hasValue(1);
	}

}
