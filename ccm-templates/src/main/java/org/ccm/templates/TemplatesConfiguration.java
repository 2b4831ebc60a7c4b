package org.ccm.templates;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * Makes this module's JPA entities and repositories known to applications whose main
 * class sits in another package.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
class TemplatesConfiguration {

}
