package org.ccm.tracking;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "org.ccm")
@ConfigurationPropertiesScan(basePackages = "org.ccm")
class TrackingTestApplication {

}
