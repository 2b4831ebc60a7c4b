package org.ccm.core;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The customer database on its own, for this module's tests.
 */
@SpringBootApplication(scanBasePackages = "org.ccm")
@ConfigurationPropertiesScan("org.ccm")
class CoreTestApplication {

}
