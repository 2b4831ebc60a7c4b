package org.ccm.templates;

import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * This module's JPA entities and repositories; each module declares its own, whatever
 * package the application's main class sits in.
 */
@Configuration(proxyBeanMethods = false)
@EntityScan
@EnableJpaRepositories
class TemplatesConfiguration {

}
