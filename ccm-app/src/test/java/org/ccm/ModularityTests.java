package org.ccm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the module structure honest: no module may use another's internals or form a
 * cycle, and the module diagram that {@code docs/} shows is the one the code gives.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(CcmApplication.class);

	@Test
	void modulesOnlyUseEachOthersPublicApi() {
		modules.verify();
	}

	@Test
	void findsOneModulePerBoundedContext() {
		assertThat(modules.stream().map((module) -> module.getIdentifier().toString())).contains("core", "templates",
				"delivery", "tracking", "campaigns", "admin", "security");
	}

	/**
	 * The diagram in {@code docs/} is the one the code gives. Run with
	 * {@code -Dccm.docs.write=true} to write it there after a change of the modules.
	 */
	@Test
	void moduleDiagramInDocsIsUpToDate() throws IOException {
		Path output = Path.of("target", "spring-modulith-docs");
		new Documenter(modules, Documenter.Options.defaults().withOutputFolder(output.toString()))
			.writeModulesAsPlantUml()
			.writeIndividualModulesAsPlantUml();
		Path diagram = output.resolve("components.puml");
		assertThat(diagram).exists();
		Path docs = Path.of("..", "docs", "modules.puml");
		if (Boolean.getBoolean("ccm.docs.write")) {
			Files.copy(diagram, docs, StandardCopyOption.REPLACE_EXISTING);
		}
		// the relations come out in no fixed order
		assertThat(sortedLines(docs))
			.as("docs/modules.puml is out of date: run ModularityTests with "
					+ "-Dccm.docs.write=true to write it again")
			.isEqualTo(sortedLines(diagram));
	}

	private static List<String> sortedLines(Path file) throws IOException {
		return Files.readAllLines(file).stream().map(String::strip).filter((line) -> !line.isEmpty()).sorted().toList();
	}

}
