package org.ccm.admin;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Test messages staff send themselves from the studio.
 *
 * @param from the sender of test emails
 * @param prefix put before a test email's subject and a test SMS's text, so that nobody
 * takes a test for the real thing
 */
@Validated
@ConfigurationProperties("ccm.admin.test-messages")
record TestMessageProperties(@DefaultValue("studio-tests@ccm.local") @NotBlank String from,
		@DefaultValue("[TEST] ") @NotBlank String prefix) {

}
