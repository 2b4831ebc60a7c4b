package org.ccm.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.ccm.core.Channel;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.DeadLetterPublishingRecovererFactory;
import org.springframework.kafka.retrytopic.DestinationTopicResolver;
import org.springframework.kafka.retrytopic.RetryTopicComponentFactory;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import tools.jackson.core.JacksonException;

/**
 * Topics, retries with dead-lettering, and the lock that keeps scheduled jobs to one
 * replica.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeliveryProperties.class)
@EnableScheduling
@EnableAsync
@EnableSchedulerLock(defaultLockAtMostFor = "PT10M")
class DeliveryConfiguration {

	static final String DEAD_LETTER_SUFFIX = ".DLT";

	static final String RETRY_SUFFIX = ".retry";

	@Bean
	KafkaAdmin.NewTopics deliveryTopics(DeliveryProperties properties) {
		List<NewTopic> topics = new ArrayList<>();
		for (String topic : properties.topics().all()) {
			topics.add(topic(topic, properties));
			topics.add(topic(topic + DEAD_LETTER_SUFFIX, properties));
		}
		return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
	}

	private static NewTopic topic(String name, DeliveryProperties properties) {
		return TopicBuilder.name(name)
			.partitions(properties.kafka().partitions())
			.replicas(properties.kafka().replicas())
			.build();
	}

	/**
	 * Routing failures (database work) are retried with growing pauses, then published to
	 * {@code <topic>.DLT} where {@link DeadLetters} keeps them for inspection and replay.
	 * Unreadable records go there at once. Channel topics retry on retry topics instead
	 * ({@link #deliveryRetryTopics}).
	 */
	@Bean
	DefaultErrorHandler deliveryErrorHandler(KafkaOperations<String, String> kafka, DeliveryProperties properties) {
		DeliveryProperties.Retries retries = properties.retries();
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retries.attempts() - 1);
		backOff.setInitialInterval(retries.initialInterval().toMillis());
		backOff.setMultiplier(retries.multiplier());
		backOff.setMaxInterval(retries.maxInterval().toMillis());
		DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(kafka,
				(record, ex) -> new TopicPartition(record.topic() + DEAD_LETTER_SUFFIX, record.partition()));
		DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
		handler.addNotRetryableExceptions(JacksonException.class, DeserializationException.class);
		return handler;
	}

	/**
	 * Channel deliveries that failed temporarily wait on retry topics
	 * ({@code <topic>.retry-<n>}) for the pauses of
	 * {@code ccm.delivery.retries.schedule}, so a delivery waiting for its retry never
	 * holds up the next message of its partition; after the last one they go to
	 * {@code <topic>.DLT}. Platform faults and unreadable records go there at once.
	 */
	@Bean
	RetryTopicConfiguration deliveryRetryTopics(KafkaTemplate<String, String> kafka, DeliveryProperties properties) {
		List<Duration> delays = properties.retries().delays();
		List<String> channelTopics = Arrays.stream(Channel.values())
			.map((channel) -> properties.topics().forChannel(channel))
			.toList();
		RetryTopicConfigurationBuilder builder = RetryTopicConfigurationBuilder.newInstance()
			.includeTopics(channelTopics)
			.maxAttempts(delays.size() + 1)
			.retryTopicSuffix(RETRY_SUFFIX)
			.dltSuffix(DEAD_LETTER_SUFFIX)
			.suffixTopicsWithIndexValues()
			.useSingleTopicForSameIntervals()
			.autoCreateTopics(true, properties.kafka().partitions(), properties.kafka().replicas())
			.notRetryOn(
					List.of(DeliveryWorker.PlatformFault.class, JacksonException.class, DeserializationException.class))
			.traversingCauses();
		if (delays.isEmpty()) {
			builder.noBackoff();
		}
		else {
			builder.customBackoff(new ScheduledBackOff(delays));
		}
		return builder.create(kafka);
	}

	/**
	 * Retry records of an attempt that stopped before calling the provider carry its
	 * claim ({@link DeliveryWorker#UNSENT_CLAIM}), so that the retry may take the
	 * delivery over even when that attempt could not record its failure.
	 */
	@Bean
	RetryTopicComponentFactory deliveryRetryTopicComponents() {
		return new RetryTopicComponentFactory() {

			@Override
			public DeadLetterPublishingRecovererFactory deadLetterPublishingRecovererFactory(
					DestinationTopicResolver destinationTopicResolver) {
				DeadLetterPublishingRecovererFactory factory = super.deadLetterPublishingRecovererFactory(
						destinationTopicResolver);
				factory.setHeadersFunction(DeliveryWorker::unsentClaimHeader);
				return factory;
			}

		};
	}

	/**
	 * The pauses of the retry schedule, one after the other.
	 */
	record ScheduledBackOff(List<Duration> delays) implements BackOff {

		@Override
		public BackOffExecution start() {
			Iterator<Duration> next = this.delays.iterator();
			return () -> next.hasNext() ? next.next().toMillis() : BackOffExecution.STOP;
		}

	}

	@Bean
	LockProvider lockProvider(DataSource dataSource) {
		return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(dataSource))
			.usingDbTime()
			.build());
	}

}
