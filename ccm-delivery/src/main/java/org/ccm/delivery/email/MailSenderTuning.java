package org.ccm.delivery.email;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Gives the auto-configured mail sender sockets without Nagle's delay, unless a socket
 * factory was configured already (TLS, for instance).
 */
@Configuration(proxyBeanMethods = false)
class MailSenderTuning {

	@Bean
	static BeanPostProcessor noDelayMailSockets() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof JavaMailSenderImpl sender) {
					var properties = sender.getJavaMailProperties();
					if (!properties.containsKey("mail.smtp.socketFactory")
							&& !properties.containsKey("mail.smtp.socketFactory.class")) {
						properties.put("mail.smtp.socketFactory", NoDelaySocketFactory.getDefault());
					}
				}
				return bean;
			}

		};
	}

}
