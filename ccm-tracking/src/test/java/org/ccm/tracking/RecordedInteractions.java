package org.ccm.tracking;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Collects the {@link InteractionRecorded} events of every thread, including the batched
 * writer's.
 */
@Component
class RecordedInteractions {

	private final List<InteractionRecorded> recorded = new CopyOnWriteArrayList<>();

	@EventListener
	void on(InteractionRecorded interaction) {
		recorded.add(interaction);
	}

	List<InteractionRecorded> of(UUID customerId) {
		return recorded.stream().filter((interaction) -> interaction.customerId().equals(customerId)).toList();
	}

}
