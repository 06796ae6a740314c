"""The knowledge graph: schema, the two stores (embedded LadybugDB, Neo4j over Bolt),
read-only Cypher queries and training-set export."""
