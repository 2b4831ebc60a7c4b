package org.ccm.delivery;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Boots the delivery module with the modules it depends on, as the application would.
 */
@SpringBootApplication(scanBasePackages = "org.ccm")
@ConfigurationPropertiesScan("org.ccm")
public class DeliveryTestApplication {

}
