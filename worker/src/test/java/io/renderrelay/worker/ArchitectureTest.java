package io.renderrelay.worker;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Rules of the worker's package structure, checked on its main classes (tests and jars left out).
 */
@AnalyzeClasses(
    packages = "io.renderrelay.worker",
    importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

  /**
   * Dependencies between packages point one way: a package can be read (and changed) knowing only
   * the ones it uses. Each package is its own slice ({@code job} and {@code job.schedule} too).
   */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("io.renderrelay.worker.(**)").should().beFreeOfCycles();
}
