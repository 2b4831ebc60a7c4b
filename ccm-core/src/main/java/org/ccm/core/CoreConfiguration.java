package org.ccm.core;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Binds {@code ccm.core.*} even in applications that do not scan for configuration
 * properties, and makes this module's JPA entities and repositories known to applications
 * whose main class sits in another package.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CoreProperties.class)
@AutoConfigurationPackage
class CoreConfiguration {

}
