package org.ccm.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Consumer lag per topic, asked of the broker with Kafka's admin client (configured as
 * the application's {@link KafkaAdmin}): for every consumer group, the end offset of each
 * partition it consumes minus the offset it committed. Unlike the consumers' own lag
 * meters this covers every replica.
 */
@Component
class KafkaLag implements DisposableBean {

	private final KafkaAdmin kafkaAdmin;

	private final OperationsProperties properties;

	private volatile Admin admin;

	KafkaLag(KafkaAdmin kafkaAdmin, OperationsProperties properties) {
		this.kafkaAdmin = kafkaAdmin;
		this.properties = properties;
	}

	/**
	 * @param group the consumer group
	 * @param lag records behind the end of the topic, over its partitions
	 */
	public record TopicLag(String topic, String group, long lag, int partitions) {

	}

	/**
	 * The lag of every group on every topic it consumes, by topic.
	 * @throws Exception when the broker does not answer in time
	 */
	List<TopicLag> lags() throws Exception {
		Admin client = admin();
		long timeout = this.properties.kafkaTimeout().toMillis();
		Collection<ConsumerGroupListing> groups = client.listConsumerGroups().all().get(timeout, TimeUnit.MILLISECONDS);
		Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
		for (ConsumerGroupListing group : groups) {
			committed.put(group.groupId(),
					client.listConsumerGroupOffsets(group.groupId())
						.partitionsToOffsetAndMetadata()
						.get(timeout, TimeUnit.MILLISECONDS));
		}
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		committed.values().forEach((offsets) -> offsets.keySet().forEach((p) -> latest.put(p, OffsetSpec.latest())));
		Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
				: client.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
		List<TopicLag> lags = new ArrayList<>();
		committed.forEach((group, offsets) -> {
			Map<String, long[]> byTopic = new TreeMap<>();
			offsets.forEach((partition, offset) -> {
				ListOffsetsResult.ListOffsetsResultInfo end = ends.get(partition);
				if (offset != null && end != null) {
					long[] lag = byTopic.computeIfAbsent(partition.topic(), (topic) -> new long[2]);
					lag[0] += Math.max(0, end.offset() - offset.offset());
					lag[1]++;
				}
			});
			byTopic.forEach((topic, lag) -> lags.add(new TopicLag(topic, group, lag[0], (int) lag[1])));
		});
		lags.sort(java.util.Comparator.comparing(TopicLag::topic).thenComparing(TopicLag::group));
		return lags;
	}

	private Admin admin() {
		if (this.admin == null) {
			synchronized (this) {
				if (this.admin == null) {
					this.admin = Admin.create(this.kafkaAdmin.getConfigurationProperties());
				}
			}
		}
		return this.admin;
	}

	@Override
	public void destroy() {
		if (this.admin != null) {
			this.admin.close();
		}
	}

}
