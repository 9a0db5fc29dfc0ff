package io.sfmcsuppression.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.InjectableInstance;

/**
 * Exposes whichever of the two built-in datasources is active. H2 and PostgreSQL are both built
 * into the jar because the database kind is fixed at build time in Quarkus; switching between them
 * is then configuration only (see the README).
 */
@ApplicationScoped
public class DataSourceProducer {

    private final InjectableInstance<AgroalDataSource> h2;
    private final InjectableInstance<AgroalDataSource> postgresql;

    DataSourceProducer(@DataSource("h2") InjectableInstance<AgroalDataSource> h2,
                       @DataSource("pg") InjectableInstance<AgroalDataSource> postgresql) {
        this.h2 = h2;
        this.postgresql = postgresql;
    }

    @Produces
    @ApplicationScoped
    AgroalDataSource activeDataSource() {
        if (postgresql.getHandle().getBean().isActive()) {
            return postgresql.get();
        }
        if (h2.getHandle().getBean().isActive()) {
            return h2.get();
        }
        throw new IllegalStateException("No datasource is active: set quarkus.datasource.pg.active or quarkus.datasource.h2.active");
    }
}
