package org.ccm;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.util.function.SingletonSupplier;

import tools.jackson.databind.json.JsonMapper;

/**
 * Event publications are stored as JSON written by the application's mapper, as Spring
 * Modulith's own serializer writes them; but the mapper is looked up once, not in the
 * bean factory for every publication stored (several per message sent).
 */
@Configuration(proxyBeanMethods = false)
class EventSerialization {

	@Bean
	EventSerializer eventSerializer(ObjectProvider<JsonMapper> mapper) {
		SingletonSupplier<JsonMapper> json = SingletonSupplier.of(mapper::getObject);
		return new EventSerializer() {

			@Override
			public Object serialize(Object event) {
				return json.obtain().writeValueAsString(event);
			}

			@Override
			public <T> T deserialize(Object serialized, Class<T> type) {
				return json.obtain().readerFor(type).readValue(serialized.toString());
			}

		};
	}

}
