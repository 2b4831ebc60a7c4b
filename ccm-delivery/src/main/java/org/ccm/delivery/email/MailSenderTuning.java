package org.ccm.delivery.email;

import java.util.Properties;

import org.ccm.delivery.DeliveryProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Gives the auto-configured mail sender sockets without Nagle's delay, unless a socket
 * factory was configured already (TLS, for instance), and timeouts on connecting, reading
 * and writing ({@code ccm.delivery.email.*-timeout}, unless
 * {@code spring.mail.properties} names them): without them a server that stops answering
 * holds a worker for good.
 */
@Configuration(proxyBeanMethods = false)
class MailSenderTuning {

	@Bean
	static BeanPostProcessor noDelayMailSockets(ObjectProvider<DeliveryProperties> deliveryProperties) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof JavaMailSenderImpl sender) {
					var properties = sender.getJavaMailProperties();
					if (!properties.containsKey("mail.smtp.socketFactory")
							&& !properties.containsKey("mail.smtp.socketFactory.class")) {
						properties.put("mail.smtp.socketFactory", NoDelaySocketFactory.getDefault());
					}
					timeouts(properties, deliveryProperties.getObject().email());
				}
				return bean;
			}

		};
	}

	static void timeouts(Properties properties, DeliveryProperties.Email email) {
		for (String protocol : new String[] { "smtp", "smtps" }) {
			properties.putIfAbsent("mail." + protocol + ".connectiontimeout",
					String.valueOf(email.connectTimeout().toMillis()));
			properties.putIfAbsent("mail." + protocol + ".timeout", String.valueOf(email.readTimeout().toMillis()));
			properties.putIfAbsent("mail." + protocol + ".writetimeout",
					String.valueOf(email.writeTimeout().toMillis()));
		}
	}

}
