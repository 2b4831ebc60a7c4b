package org.ccm.delivery.spi;

import org.ccm.delivery.spi.ProviderAnswers.Answer;
import org.ccm.delivery.spi.ProviderAnswers.SmtpStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every row of the classification table, as {@code docs/delivery-failures.md} lists it.
 */
class ProviderAnswersTests {

	@ParameterizedTest(name = "{0} ''{1}'' → {2}, suppress {3}")
	@CsvSource(delimiter = '|', textBlock = """
			RCPT_TO   | 550 5.1.1 <a@example.com>: user unknown        | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 550 5.1.2 host unknown                         | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 553 5.1.3 bad address syntax                   | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 550 5.1.4 ambiguous                            | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 551 5.1.6 moved                                | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 550 5.1.7 bad sender syntax                    | PLATFORM_FAULT         | false
			RCPT_TO   | 550 5.1.8 bad sender domain                    | PLATFORM_FAULT         | false
			RCPT_TO   | 556 5.1.10 null MX                             | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 550 5.1.0 address rejected                     | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 550 5.2.1 mailbox disabled                     | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 552 5.2.2 mailbox full                         | PERMANENT_FOR_CUSTOMER | false
			DATA      | 552 5.2.3 message too long                     | PERMANENT_FOR_CUSTOMER | false
			DATA      | 554 5.2.0 mailbox refused                      | PERMANENT_FOR_CUSTOMER | false
			DATA      | 552 5.3.4 message too big                      | PERMANENT_FOR_CUSTOMER | false
			DATA      | 554 5.3.0 mail system error                    | PERMANENT_FOR_CUSTOMER | false
			RCPT_TO   | 554 5.4.4 unable to route                      | PERMANENT_FOR_CUSTOMER | true
			DATA      | 554 5.4.7 delivery time expired                | PERMANENT_FOR_CUSTOMER | false
			DATA      | 554 5.5.2 syntax error                         | PLATFORM_FAULT         | false
			DATA      | 554 5.6.0 content refused                      | PERMANENT_FOR_CUSTOMER | false
			DATA      | 550 5.7.0 refused by policy                    | PERMANENT_FOR_CUSTOMER | false
			DATA      | 550 5.7.1 message refused as spam              | PERMANENT_FOR_CUSTOMER | false
			DATA      | 550 5.7.8 credentials invalid                  | PLATFORM_FAULT         | false
			DATA      | 550 5.7.9 mechanism too weak                   | PLATFORM_FAULT         | false
			DATA      | 550 5.7.11 encryption required                 | PLATFORM_FAULT         | false
			DATA      | 550 5.7.13 account disabled                    | PLATFORM_FAULT         | false
			DATA      | 550 5.7.14 trust relationship required         | PLATFORM_FAULT         | false
			DATA      | 550 5.7.26 DMARC failed                        | PLATFORM_FAULT         | false
			DATA      | 550 5.7.99 other policy                        | PERMANENT_FOR_CUSTOMER | false
			RCPT_TO   | 450 4.2.1 mailbox busy                         | TEMPORARY              | false
			RCPT_TO   | 550 4.2.1 mailbox busy (odd reply code)         | TEMPORARY              | false
			RCPT_TO   | 421 service not available                      | TEMPORARY              | false
			RCPT_TO   | 432 4.7.12 password transition needed          | PLATFORM_FAULT         | false
			RCPT_TO   | 450 mailbox unavailable                        | TEMPORARY              | false
			DATA      | 451 local error                                | TEMPORARY              | false
			RCPT_TO   | 452 insufficient storage                       | TEMPORARY              | false
			MAIL_FROM | 454 4.7.0 TLS not available                    | TEMPORARY              | false
			MAIL_FROM | 455 parameters not accommodated                | TEMPORARY              | false
			RCPT_TO   | 499 unknown temporary                          | TEMPORARY              | false
			DATA      | 500 command not recognised                     | PLATFORM_FAULT         | false
			RCPT_TO   | 501 bad address                                | PERMANENT_FOR_CUSTOMER | true
			MAIL_FROM | 501 bad sender                                 | PLATFORM_FAULT         | false
			DATA      | 502 not implemented                            | PLATFORM_FAULT         | false
			DATA      | 503 bad sequence                               | PLATFORM_FAULT         | false
			DATA      | 504 parameter not implemented                  | PLATFORM_FAULT         | false
			MAIL_FROM | 530 5.7.0 authentication required              | PLATFORM_FAULT         | false
			MAIL_FROM | 534 mechanism too weak                         | PLATFORM_FAULT         | false
			MAIL_FROM | 535 5.7.8 authentication failed                | PLATFORM_FAULT         | false
			MAIL_FROM | 538 encryption required                        | PLATFORM_FAULT         | false
			RCPT_TO   | 550 mailbox unavailable                        | PERMANENT_FOR_CUSTOMER | true
			DATA      | 550 mailbox unavailable                        | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 551 user not local                             | PERMANENT_FOR_CUSTOMER | true
			RCPT_TO   | 552 storage exceeded                           | TEMPORARY              | false
			DATA      | 552 storage exceeded                           | PERMANENT_FOR_CUSTOMER | false
			RCPT_TO   | 553 mailbox name not allowed                   | PERMANENT_FOR_CUSTOMER | true
			DATA      | 554 transaction failed                         | PERMANENT_FOR_CUSTOMER | false
			RCPT_TO   | 555 parameters not recognised                  | PLATFORM_FAULT         | false
			RCPT_TO   | 556 domain takes no mail                       | PERMANENT_FOR_CUSTOMER | true
			DATA      | 559 unknown permanent                          | PERMANENT_FOR_CUSTOMER | false
			MAIL_FROM | 550 5.1.8 sender refused                       | PLATFORM_FAULT         | false
			MAIL_FROM | 553 sender refused                             | PLATFORM_FAULT         | false
			MAIL_FROM | 552 5.3.4 message size exceeds limit           | PERMANENT_FOR_CUSTOMER | false
			""")
	void smtp(SmtpStage stage, String response, FailureClass expected, boolean suppress) {
		Answer answer = ProviderAnswers.smtp(stage, Integer.parseInt(response.substring(0, 3)), response);
		assertThat(answer.failureClass()).isEqualTo(expected);
		assertThat(answer.aboutContactPoint()).isEqualTo(suppress);
		assertThat(answer.meaning()).isNotBlank();
	}

	@ParameterizedTest(name = "HTTP {0}, code {1} → {2}, suppress {3}")
	@CsvSource(delimiter = '|', textBlock = """
			400 | 21211 | PERMANENT_FOR_CUSTOMER | true
			400 | 21214 | PERMANENT_FOR_CUSTOMER | true
			400 | 21217 | PERMANENT_FOR_CUSTOMER | true
			400 | 21604 | PERMANENT_FOR_CUSTOMER | true
			400 | 21614 | PERMANENT_FOR_CUSTOMER | true
			400 | 21610 | PERMANENT_FOR_CUSTOMER | false
			400 | 21612 | PERMANENT_FOR_CUSTOMER | false
			400 | 21617 | PERMANENT_FOR_CUSTOMER | false
			400 | 30004 | PERMANENT_FOR_CUSTOMER | false
			400 | 30005 | PERMANENT_FOR_CUSTOMER | true
			400 | 30006 | PERMANENT_FOR_CUSTOMER | true
			400 | 30007 | PERMANENT_FOR_CUSTOMER | false
			401 | 20003 | PLATFORM_FAULT         | false
			401 | 20005 | PLATFORM_FAULT         | false
			404 | 20404 | PLATFORM_FAULT         | false
			400 | 21212 | PLATFORM_FAULT         | false
			400 | 21408 | PLATFORM_FAULT         | false
			400 | 21603 | PLATFORM_FAULT         | false
			400 | 21606 | PLATFORM_FAULT         | false
			400 | 21608 | PLATFORM_FAULT         | false
			400 | 21703 | PLATFORM_FAULT         | false
			403 | 30002 | PLATFORM_FAULT         | false
			429 | 20429 | TEMPORARY              | false
			500 | 20500 | TEMPORARY              | false
			503 | 20503 | TEMPORARY              | false
			400 | 21611 | TEMPORARY              | false
			400 | 30001 | TEMPORARY              | false
			400 | 30003 | TEMPORARY              | false
			400 | 30008 | TEMPORARY              | false
			401 |       | PLATFORM_FAULT         | false
			403 |       | PLATFORM_FAULT         | false
			404 |       | PLATFORM_FAULT         | false
			405 |       | PLATFORM_FAULT         | false
			429 |       | TEMPORARY              | false
			500 |       | TEMPORARY              | false
			502 |       | TEMPORARY              | false
			503 |       | TEMPORARY              | false
			400 |       | PERMANENT_FOR_CUSTOMER | false
			400 | 99999 | PERMANENT_FOR_CUSTOMER | false
			    |       | TEMPORARY              | false
			""")
	void twilio(Integer status, Integer code, FailureClass expected, boolean suppress) {
		Answer answer = ProviderAnswers.twilio(status, code);
		assertThat(answer.failureClass()).isEqualTo(expected);
		assertThat(answer.aboutContactPoint()).isEqualTo(suppress);
	}

	@Test
	void connectionsAndCredentials() {
		assertThat(ProviderAnswers.CONNECTION.failureClass()).isEqualTo(FailureClass.TEMPORARY);
		assertThat(ProviderAnswers.TWILIO_CONNECTION.failureClass()).isEqualTo(FailureClass.TEMPORARY);
		assertThat(ProviderAnswers.AUTHENTICATION.failureClass()).isEqualTo(FailureClass.PLATFORM_FAULT);
	}

	@Test
	void theFailureThrownCarriesTheClass() {
		DeliveryFailure permanent = DeliveryFailure.of(ProviderAnswers.twilio(400, 21211), "invalid",
				new IllegalStateException());
		assertThat(permanent).isInstanceOf(PermanentDeliveryFailure.class);
		assertThat(permanent.aboutContactPoint()).isTrue();
		DeliveryFailure fault = DeliveryFailure.of(ProviderAnswers.twilio(401, 20003), "token",
				new IllegalStateException());
		assertThat(fault).isNotInstanceOf(PermanentDeliveryFailure.class);
		assertThat(fault.failureClass()).isEqualTo(FailureClass.PLATFORM_FAULT);
	}

}
