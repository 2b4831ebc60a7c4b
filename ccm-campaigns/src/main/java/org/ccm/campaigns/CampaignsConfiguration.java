package org.ccm.campaigns;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The hand-over topic and its dead-letter topic (where the platform's Kafka error handler
 * parks records that keep failing).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CampaignsProperties.class)
class CampaignsConfiguration {

	@Bean
	KafkaAdmin.NewTopics campaignTopics(CampaignsProperties properties) {
		return new KafkaAdmin.NewTopics(topic(properties.topic(), properties),
				topic(properties.topic() + ".DLT", properties));
	}

	private static NewTopic topic(String name, CampaignsProperties properties) {
		return TopicBuilder.name(name).partitions(properties.partitions()).replicas(properties.replicas()).build();
	}

}
