package org.ccm.local;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.security.ApiKeys;
import org.ccm.security.ApiScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

/**
 * Demo customers (one per channel preference), staff logins and an API key, so a newcomer
 * sees a working platform at once. Only the local run imports this; production has no
 * default accounts.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DemoData {

	/** Well known on purpose: the README's examples use it. The local run only. */
	public static final String DEMO_API_KEY = "ccm_local_demo_key_not_for_production";

	static final String STAFF_PASSWORD = "local-demo";

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	@Bean
	ApplicationRunner demoData(Customers customers, JdbcUserDetailsManager staff, PasswordEncoder passwords,
			ApiKeys apiKeys) {
		return (args) -> {
			apiKeys.register("demo", DEMO_API_KEY, Set.of(ApiScope.values()));
			staffAccount(staff, passwords, "admin", "ADMIN");
			staffAccount(staff, passwords, "marketer", "MARKETER");
			staffAccount(staff, passwords, "approver", "APPROVER");
			staffAccount(staff, passwords, "ops", "OPS");
			staffAccount(staff, passwords, "brand", "BRAND");
			QuietHours nights = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
			customers.upsert("C-1001",
					new CustomerDetails("Alice Martin", Locale.forLanguageTag("en-GB"), ZoneId.of("Europe/London"),
							"alice.martin@example.com", null,
							address(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "GB"), Map.of("tier", "gold"),
							Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL), Purpose.MARKETING,
									List.of(Channel.EMAIL)),
							nights, List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "demo data"))));
			customers.upsert("C-1002",
					new CustomerDetails("Bartosz Nowak", Locale.forLanguageTag("pl-PL"), ZoneId.of("Europe/Warsaw"),
							"bartosz.nowak@example.com", "+48601234567",
							address(List.of("ul. Piotrkowska 104"), "90-926", "Łódź", "PL"), Map.of("tier", "silver"),
							Map.of(Purpose.TRANSACTIONAL, List.of(Channel.SMS, Channel.EMAIL), Purpose.MARKETING,
									List.of(Channel.SMS)),
							nights, List.of(new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "demo data"))));
			customers.upsert("C-1003",
					new CustomerDetails("Claire Dubois", Locale.forLanguageTag("fr-FR"), ZoneId.of("Europe/Paris"),
							null, null, address(List.of("8 rue des Lilas", "Bâtiment B"), "69003", "Lyon", "FR"),
							Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PRINT)), null, List.of()));
			customers.upsert("C-1004",
					new CustomerDetails("Daniel Schmidt", Locale.forLanguageTag("de-DE"), ZoneId.of("Europe/Berlin"),
							"daniel.schmidt@example.com", null,
							address(List.of("Hauptstraße 5"), "10115", "Berlin", "DE"), Map.of(),
							Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL)), null, List.of()));
		};
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> welcome(Environment environment) {
		return (event) -> {
			String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
			LocalServers servers = LocalInfrastructure.servers();
			log.info("""

					==================================================================================
					 CCM platform is running on {}, with an SMS sandbox
					   Admin UI          {}/admin   (staff login: admin / {}; also marketer, approver, ops, brand)
					   Captured mail/SMS {}/admin/captured
					   REST API          {}/api/v1  (demo API key: {})
					   API docs          {}/swagger-ui.html
					 Try: curl -H 'Authorization: Bearer {}' {}/api/v1/customers/C-1001
					==================================================================================
					""", (servers != null) ? servers.description() : "its configured servers", base, STAFF_PASSWORD,
					base, base, DEMO_API_KEY, base, DEMO_API_KEY, base);
		};
	}

	private static void staffAccount(JdbcUserDetailsManager staff, PasswordEncoder passwords, String username,
			String role) {
		if (!staff.userExists(username)) {
			staff
				.createUser(User.withUsername(username).password(passwords.encode(STAFF_PASSWORD)).roles(role).build());
		}
	}

	private static PostalAddress address(List<String> lines, String postcode, String city, String country) {
		return new PostalAddress(lines, postcode, city, country, ContactState.UNVERIFIED);
	}

}
