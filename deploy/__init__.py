"""The national deployment (issue 24): nginx in front of read-only replicas. `python -m deploy.nginx` writes the
configuration the tests run (deploy/terres-de-jeux.conf filled in with the replicas' addresses)."""
