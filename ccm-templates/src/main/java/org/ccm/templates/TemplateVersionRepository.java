package org.ccm.templates;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * Versions of templates by template key and number.
 */
interface TemplateVersionRepository extends JpaRepository<TemplateVersionEntity, TemplateVersionEntity.Key> {

	List<TemplateVersionEntity> findByTemplateKeyOrderByNumber(String templateKey);

	Optional<TemplateVersionEntity> findByTemplateKeyAndState(String templateKey, VersionState state);

	@Query("select coalesce(max(v.number), 0) from TemplateVersionEntity v where v.templateKey = ?1")
	int lastNumber(String templateKey);

}
