package org.ccm.campaigns;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "org.ccm")
@ConfigurationPropertiesScan(basePackages = "org.ccm")
class CampaignsTestApplication {

}
