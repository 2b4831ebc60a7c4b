package org.ccm.templates;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Boots the templates module with the modules it depends on, as the application would.
 */
@SpringBootApplication(scanBasePackages = "org.ccm")
@ConfigurationPropertiesScan("org.ccm")
public class TemplatesTestApplication {

}
